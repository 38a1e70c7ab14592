/**
 * The lazily loaded part of the SDK, one chunk: the data subject's rights and the rare
 * consent steps (grant and its recording, withdrawal, asking again, changes made elsewhere).
 * The main chunk reaches it only through `lazy.ts`; CJS and the script-tag IIFE, which cannot
 * split, inline it.
 */
export { answered, askAgain, grant, recordGrant, recordWithdrawal, reset } from './consent/decisions.js';
export { createRights } from './rights.js';
