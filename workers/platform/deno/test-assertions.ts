/** The assertions of the Deno adapter's tests (Deno's test runner has no expect). */
export function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

export const equal = (actual: unknown, expected: unknown, what: string) =>
  check(
    JSON.stringify(actual) === JSON.stringify(expected),
    `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
  );
