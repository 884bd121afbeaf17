/** Length of a string in UTF-8 bytes: every byte limit in the vendor docs is in these units. */
export function utf8Length(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}
