/**
 * JsonObjectSchema: an object as JSON.parse gave it, passed on unchanged for a stricter parse
 * later (a spec, a sweep's base). Not z.record: that rebuilds the object key by key, and
 * assigning a `__proto__` key to the copy sets its prototype instead, so the key vanished without
 * a word where the CLI, which parses the file's object itself, refuses it. Imports zod only, so
 * the API contract (which the renderer reads) and the lab share it.
 */
import { z } from 'zod';

export const JsonObjectSchema = /* @__PURE__ */ z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { error: 'expected an object' });
