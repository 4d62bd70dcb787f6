// Types of scripts/build.mjs, for the TypeScript that calls it (tests, bench).
export const ROOT: string;
export const DIST: string;
export function sourceHash(): string;
export function isCurrent(): boolean;
export function build(): Promise<void>;
