/**
 * Plain sentences for hidden figures: how many are hidden, how many people a figure needs and
 * why (k-anonymity), and a link to the longer explanation. A hidden mark's tooltip says the
 * same in a few words, so a grey cell explains itself where it is.
 */

export const K_DOCS = '/dashboard/k-anonymity';

const plural = (n: number, one: string, many: string) => n + ' ' + (n === 1 ? one : many);

/** The tooltip of one hidden figure. */
export function hiddenTitle(label: string, k: number): string {
  return label + ': hidden. Fewer than ' + k + ' people stand behind it; a figure is shown only from ' + k + ' people up (k-anonymity).';
}

/**
 * The sentence under a panel with hidden figures, or '' when none is hidden.
 *
 * @example hiddenSentence(3, 28, 'day', 'days', 5, 'Choose a longer range.') // '3 of 28 days are hidden: ...'
 */
export function hiddenSentence(hidden: number, total: number, one: string, many: string, k: number, remedy: string): string {
  if (hidden === 0) return '';
  const which = hidden === total && total > 1 ? 'All ' + plural(total, one, many) + ' are' : hidden + ' of ' + plural(total, one, many) + (hidden === 1 ? ' is' : ' are');
  return which + ' hidden: each needs at least ' + k + ' different people behind it, so that no figure describes one identifiable person (k-anonymity). ' + remedy;
}

/** Puts the sentence in `node` with a link to the explanation (or empties it). */
export function explain(node: HTMLElement, sentence: string): void {
  if (sentence === '') {
    node.replaceChildren();
    return;
  }
  const link = document.createElement('a');
  link.href = K_DOCS;
  link.textContent = 'Why figures are hidden';
  node.replaceChildren(document.createTextNode(sentence + ' '), link, document.createTextNode('.'));
}
