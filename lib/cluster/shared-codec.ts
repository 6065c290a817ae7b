import { parse, stringify } from 'devalue';

/**
 * Values as Redis holds them: devalue's text (JSON plus Date, Map, Set,
 * BigInt, undefined, NaN, ±Infinity, repeated references), read back with
 * devalue's `parse`, never evaluated. The same serialiser as island props
 * (lib/islands/island-payload.ts), in its data form.
 */
export function encodeShared(value: unknown, staleMs: number): string | undefined {
  try {
    return stringify([value, staleMs]);
  } catch {
    // A function, symbol or class instance: the caller keeps it local.
    return undefined;
  }
}

/** The value and its stale window, or undefined for text this version cannot read (another version wrote it). */
export function decodeShared(text: string): { value: unknown; staleMs: number } | undefined {
  try {
    const decoded = parse(text) as unknown;
    if (!Array.isArray(decoded) || decoded.length !== 2 || typeof decoded[1] !== 'number') return undefined;
    return { value: decoded[0], staleMs: decoded[1] };
  } catch {
    return undefined;
  }
}
