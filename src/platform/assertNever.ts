/**
 * The default branch of a switch that handles every case of a union: it compiles only while
 * no case is missing, and throws if a value the types rule out turns up at run time anyway.
 */
export function assertNever(value: never, what: string): never {
  throw new Error(`unexpected ${what}: ${String(value)}`);
}
