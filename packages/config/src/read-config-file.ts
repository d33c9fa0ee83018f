import { open, stat } from 'node:fs/promises';
import type { ConfigProblem } from '@signpost/predictions';

/**
 * The largest config file read, by default (SIGNPOST_CONFIG_MAX_BYTES). A forecast file is a few
 * kilobytes; a 50 MB one dropped into predictions.d/ took the worker from 250 MB to 2.2 GB and
 * stalled every poll that re-read it (issue #14).
 */
export const DEFAULT_CONFIG_MAX_BYTES = 1024 * 1024;

export type ConfigFileRead = { text: string } | { missing: true } | { problem: ConfigProblem };

export interface ReadConfigOptions {
  /** Files larger than this are refused unread (default DEFAULT_CONFIG_MAX_BYTES). */
  maxBytes?: number;
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1).replace(/\.0$/, '')} GiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${n} bytes`;
}

/**
 * Reads one config file as UTF-8 text, never more than `maxBytes` of it: a larger file, something
 * that is not a regular file (a FIFO or /dev/zero would never end), or bytes that are not UTF-8
 * come back as a problem with the file (and the line, for bad UTF-8) instead of text.
 */
export async function readConfigFile(file: string, options: ReadConfigOptions = {}): Promise<ConfigFileRead> {
  const maxBytes = options.maxBytes ?? DEFAULT_CONFIG_MAX_BYTES;
  let buffer: Buffer;
  try {
    const info = await stat(file);
    if (!info.isFile()) return { problem: { file, message: 'not a regular file' } };
    if (info.size > maxBytes) return { problem: tooLarge(file, info.size, maxBytes) };
    const handle = await open(file, 'r');
    try {
      // At most one byte more than allowed: a file that grew since the stat is caught here.
      buffer = Buffer.alloc(Math.min(info.size, maxBytes) + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === buffer.length) break;
      }
      if (length > maxBytes) return { problem: tooLarge(file, length, maxBytes) };
      buffer = buffer.subarray(0, length);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { missing: true };
    return { problem: { file, message: `cannot read file (${code ?? String(error)})` } };
  }
  const bad = firstInvalidUtf8(buffer);
  if (bad !== null) {
    const before = buffer.subarray(0, bad);
    const line = before.filter((b) => b === 0x0a).length + 1;
    const column = bad - (before.lastIndexOf(0x0a) + 1) + 1;
    return {
      problem: {
        file,
        line,
        message: `invalid UTF-8 (byte 0x${buffer[bad]!.toString(16).toUpperCase().padStart(2, '0')} at column ${column}); save the file as UTF-8`,
      },
    };
  }
  let text = buffer.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}

function tooLarge(file: string, size: number, maxBytes: number): ConfigProblem {
  return {
    file,
    message: `file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit for a config file; not read (split it, or raise SIGNPOST_CONFIG_MAX_BYTES)`,
  };
}

/** The offset of the first byte that does not belong to valid UTF-8, or null when all of it is valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number | null {
  const strict = new TextDecoder('utf-8', { fatal: true });
  try {
    strict.decode(bytes);
    return null;
  } catch {
    // Rare: find the spot, character by character (the decoder judges overlong and surrogate forms).
  }
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    if (need === 0) {
      i++;
      continue;
    }
    const end = i + need + 1;
    if (end > bytes.length) return i;
    try {
      strict.decode(bytes.subarray(i, end));
    } catch {
      return i;
    }
    i = end;
  }
  return null;
}
