import { describe, expect, it } from 'vitest';
import { pinProblem } from './station-pin.ts';

describe('station PIN rules', () => {
  it('accepts 4 to 8 digits that are not trivial', () => {
    expect(pinProblem('2580')).toBeNull();
    expect(pinProblem('73915402')).toBeNull();
  });
  it('refuses repeated digits, runs, wrong lengths and letters', () => {
    for (const pin of ['0000', '1234', '9876', '7890', '123', '123456789', '12a4']) expect(pinProblem(pin)).not.toBeNull();
  });
});
