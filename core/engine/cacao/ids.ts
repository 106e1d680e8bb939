import { createHash } from 'node:crypto';

/**
 * A UUIDv4-shaped id derived from a hash, so that exporting the same playbook twice gives the same CACAO ids
 * (CACAO requires v4 for steps; a random one would make every export a new document).
 */
export function derivedUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const derivedId = (prefix: string, playbookId: string, path: string) => `${prefix}--${derivedUuid(`quell:${playbookId}:${path}`)}`;

/** A Quell step or playbook key from free text: lower-case, a letter first, at most 64 characters. */
export function slug(text: string, fallback: string): string {
  let s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(s)) s = s ? `${fallback}-${s}` : fallback;
  return s.slice(0, 56).replace(/-+$/, '');
}

/** Hands out unique keys: `block-ip`, then `block-ip-2`, `block-ip-3` … */
export class KeyPool {
  private readonly used = new Set<string>();
  take(wanted: string): string {
    let key = wanted;
    for (let n = 2; this.used.has(key); n++) key = `${wanted}-${n}`;
    this.used.add(key);
    return key;
  }
}
