/**
 * Writes docs/access-answer.schema.json from the schema in src/rights/access-schema.ts. Run it
 * after changing the access answer; `access-schema.test.ts` fails until the file matches.
 */
import { writeFileSync } from 'node:fs';
import { accessAnswerJsonSchema } from '../src/rights/access-schema.js';

writeFileSync(new URL('../../../docs/access-answer.schema.json', import.meta.url), `${JSON.stringify(accessAnswerJsonSchema(), null, 2)}\n`);
