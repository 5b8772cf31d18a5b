/**
 * Engine messages are shared by every transport, and some name a place to go that is the CLI's
 * ("tradeport instruments …", "tradeport risk set"). On screen each
 * such pointer becomes the place in this app that does the job. Pure, tested in Node.
 */

const REWRITES: ReadonlyArray<readonly [RegExp, string]> = [
  [/raise the limit \(tradeport risk set\)/g, 'raise the limit in the Risk tab (Account panel)'],
  [/\(tradeport risk set\)/g, '(Risk tab, Account panel)'],
  [/\s*\("tradeport kill-switch reset --confirm"\)/g, ' (Reset… on the kill-switch banner)'],
  [/Search with: tradeport instruments \S+ \S*/g, 'Type part of the name in the Symbol box and pick it from the list.'],
  [/List working orders with: tradeport orders/g, 'The Working tab lists the working orders.'],
  [/\(tradeport secret status \S+\)/g, '(Venues panel)'],
  [/set it with `tradeport secret set <venue> (\S+)` \(read from stdin\)/g, 'set it in the Venues panel'],
  [/\(tradeport cancel-all \S+\)/g, '(Cancel all, in the Working tab)'],
  [/Check with `tradeport orders`/g, 'Check the Orders tab'],
];

export function forScreen(message: string): string {
  let out = message;
  for (const [re, to] of REWRITES) out = out.replace(re, to);
  return out;
}
