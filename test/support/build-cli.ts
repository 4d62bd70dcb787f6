// Global setup of the CLI tests: compile the command once, as `npm install` does, so the tests run it like a user.
import { build, isCurrent } from '../../scripts/build.mjs';

export default async function buildCli(): Promise<void> {
  if (!isCurrent()) await build();
}
