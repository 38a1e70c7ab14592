/** An integer array in PostgreSQL's text form (`{1,2,3}`; `{}` or null when empty) as numbers. */
export function integerArray(text: string | null): number[] {
  return text === null || text === '{}' ? [] : text.slice(1, -1).split(',').map(Number);
}
