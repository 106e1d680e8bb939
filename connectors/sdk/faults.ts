// `--faults 429:0.1,503:0.05`: which faults an emulator injects, and into what fraction of requests.
import type { FaultKind, FaultSpec } from './emulator-contract.js';
import { ConnectorError } from './errors.js';

export const FAULT_KINDS: readonly FaultKind[] = ['429', '500', '503', 'slow', 'truncate', 'expire'];

/** Parses a fault spec; throws a `config` ConnectorError naming the bad item. An empty string means no faults. */
export function parseFaults(spec: string): FaultSpec[] {
  const out: FaultSpec[] = [];
  const seen = new Set<string>();
  for (const rawItem of spec.split(',')) {
    const item = rawItem.trim();
    if (item === '') {
      if (spec.trim() === '') continue;
      throw new ConnectorError('config', `fault spec "${spec}": empty item (write kind:rate, separated by commas)`);
    }
    const m = /^([^:]+):(.*)$/.exec(item);
    if (!m) throw new ConnectorError('config', `fault "${item}": write kind:rate, e.g. 429:0.1`);
    const kind = m[1]!.trim();
    const rateText = m[2]!.trim();
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) {
      throw new ConnectorError('config', `fault "${item}": unknown kind "${kind}" (kinds: ${FAULT_KINDS.join(', ')})`);
    }
    const rate = /^(\d+(\.\d*)?|\.\d+)$/.test(rateText) ? Number(rateText) : Number.NaN;
    if (!(rate > 0 && rate <= 1)) {
      throw new ConnectorError('config', `fault "${item}": rate must be a number greater than 0 and at most 1, not "${rateText}"`);
    }
    if (seen.has(kind)) throw new ConnectorError('config', `fault "${item}": kind ${kind} is given twice`);
    seen.add(kind);
    out.push({ kind: kind as FaultKind, rate });
  }
  const total = out.reduce((s, f) => s + f.rate, 0);
  if (total > 1 + 1e-9) throw new ConnectorError('config', `fault spec "${spec}": the rates add up to ${Number(total.toFixed(6))}, more than 1`);
  return out;
}

/** The spec back as text, in `parseFaults` syntax. */
export function formatFaults(faults: readonly FaultSpec[]): string {
  return faults.map((f) => `${f.kind}:${f.rate}`).join(',');
}
