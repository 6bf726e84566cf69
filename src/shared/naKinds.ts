/**
 * Why a judgement has no score (migration 0009). Only `judge` is the judge's own verdict: Just-Eval's report()
 * counts a literal "N/A" score as 5 and that is all the "N/A counted as 5" policy substitutes. The other two say
 * nothing about the output and are always left out of means (and counted): `unreadable` = a reply came but no
 * score could be read from it; `no-reply` = the call got no reply (server error after retries, timeout, abort).
 */
export const NA_KINDS = ['judge', 'unreadable', 'no-reply'] as const;
export type NaKind = (typeof NA_KINDS)[number];
