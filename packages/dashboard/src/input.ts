/**
 * Checks shared by the routes, so that a malformed parameter is a 400 or 404 saying what is wrong,
 * never a 500 from the database (issue #14: a NUL in a forecast id or a search, or a feed id past
 * the int range, reached PostgreSQL, which refused it).
 */
import type { Context } from 'hono';
import { ID_PATTERN } from '@signpost/predictions';

/** The largest value of a PostgreSQL `integer` (feed ids). */
export const MAX_INT4 = 2_147_483_647;

/** Could this be a forecast id? Ids are kebab-case slugs (packages/predictions); anything else names no forecast. */
export function isForecastId(id: string): boolean {
  return id.length <= 200 && ID_PATTERN.test(id);
}

/** The first control character in `text` (tabs and line breaks allowed), as `U+0000`, or null. */
export function controlCharacter(text: string): string | null {
  const m = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.exec(text);
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : null;
}

/** A request body the route cannot read (a broken multipart body, say): answered 400. */
export class BodyError extends Error {
  override name = 'BodyError';
}

/** The form fields of a POST, or BodyError when the body is not a readable form. */
export async function readForm(c: Context): Promise<Record<string, string | File | (string | File)[]>> {
  try {
    return await c.req.parseBody();
  } catch (error) {
    throw new BodyError(`form: the request body could not be read as a form (${(error as Error).message.split('\n')[0]!.slice(0, 100)})`);
  }
}
