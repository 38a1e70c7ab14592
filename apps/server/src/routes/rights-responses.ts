/** The access answer in the format asked for: JSON, or a zip of CSV files. */
import type { Context } from 'hono';
import { accessZip, type AccessDocument } from '../rights/access.js';

export function accessResponse(c: Context, document: AccessDocument, format: 'json' | 'csv'): Response {
  if (format === 'json') return c.json(document, 200, { 'cache-control': 'no-store' });
  const zip = accessZip(document);
  return c.body(zip.buffer.slice(zip.byteOffset, zip.byteOffset + zip.byteLength) as ArrayBuffer, 200, {
    'content-type': 'application/zip',
    'content-disposition': 'attachment; filename="heed-export.zip"',
    'cache-control': 'no-store',
  });
}
