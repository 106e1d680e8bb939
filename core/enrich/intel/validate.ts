import { QuellError } from '../../api/index.js';
import { canonicalIp } from '../../ingest/index.js';
import type { Actor, ConnectionEvidence, EventId, Validation } from '../../model/index.js';
import type { Store } from '../../store/index.js';
import { privateRanges, type InternalPredicate } from './internal.js';

const DAY_MS = 86_400_000;

export interface ValidateOptions {
  /** The alert to validate (any record); without it, every alert of the case with a feed-confirmed IP. */
  alertId?: string | undefined;
  /** The malicious IPs, when the analyst names them; otherwise the record's IPs that a feed confirms. */
  ips?: string[] | undefined;
  windowDays: number;
  internal?: InternalPredicate;
}

export interface ValidateResult {
  windowDays: number;
  counts: { qualified: number; not_relevant: number };
  results: (Validation & { eventId: string })[];
}

type Doc = {
  event?: { category?: string[]; type?: string[] };
  source?: { ip?: string };
  destination?: { ip?: string; port?: number };
  network?: { bytes?: number };
  host?: { name?: string; hostname?: string };
};

/**
 * The guide's "walk" stage: an alert about a malicious IP is qualified only when the case's own network and host
 * records show an internal asset connecting to that IP near the alert's time — Zeek conn, Sysmon network
 * connections (EventID 3), Suricata flows, i.e. every record normalised as a network connection. The evidence (which
 * records, which internal address and host, when, how many bytes) is stored with the alert; without it the alert is
 * not relevant, and the reason says what was searched.
 */
export function validateAlerts(store: Store, caseId: string, opts: ValidateOptions, ctx: { at: string; actor: Actor }): ValidateResult {
  if (opts.ips?.length && !opts.alertId) throw new QuellError('invalid_input', 'Naming IPs needs the alert they are about (alertId).');
  const explicit = opts.ips?.map((ip) => {
    const c = canonicalIp(ip);
    if (!c) throw new QuellError('invalid_input', `${JSON.stringify(ip)} is not an IPv4 or IPv6 address.`, { details: { ip } });
    return c;
  });
  const internal = opts.internal ?? privateRanges;
  let targets: string[];
  if (opts.alertId) {
    if (!store.intel.eventExists(caseId, opts.alertId)) {
      throw new QuellError('not_found', `No record ${opts.alertId} in case ${caseId}.`, { details: { caseId, eventId: opts.alertId } });
    }
    targets = [opts.alertId];
  } else {
    targets = store.intel.alertIds(caseId).filter((id) => confirmedIps(store, id).length > 0);
  }
  const results: ValidateResult['results'] = [];
  store.write(() => {
    for (const eventId of targets) {
      const validation = validateOne(store, caseId, eventId, explicit, opts.windowDays, internal, ctx.at);
      store.intel.saveValidation(caseId, eventId, validation, ctx.at);
      results.push({ eventId, ...validation });
    }
    const counts = { qualified: results.filter((r) => r.status === 'qualified').length, not_relevant: 0 };
    counts.not_relevant = results.length - counts.qualified;
    store.journal.append({
      at: ctx.at,
      caseId,
      actor: ctx.actor,
      action: 'alert.validated',
      payload: {
        windowDays: opts.windowDays,
        counts,
        alerts: results.slice(0, 100).map((r) => ({ eventId: r.eventId, status: r.status, ips: r.ips, evidence: r.evidence.map((e) => e.eventId) })),
      },
    });
  });
  const qualified = results.filter((r) => r.status === 'qualified').length;
  return { windowDays: opts.windowDays, counts: { qualified, not_relevant: results.length - qualified }, results };
}

function confirmedIps(store: Store, eventId: string): string[] {
  return [...new Set(store.intel.confirmations(eventId).filter((c) => c.type === 'ip').map((c) => c.canonical))];
}

function validateOne(
  store: Store,
  caseId: string,
  eventId: string,
  explicit: string[] | undefined,
  windowDays: number,
  internal: InternalPredicate,
  at: string,
): Validation {
  const ts = Date.parse(store.intel.eventExists(caseId, eventId)!.ts);
  // Whole milliseconds, so that a window given in days lands exactly on a record's time rather than a float's width off.
  const span = Math.round(windowDays * DAY_MS);
  const from = new Date(ts - span).toISOString();
  const to = new Date(ts + span).toISOString();
  const ips = explicit ?? confirmedIps(store, eventId);
  const base = { ips, ipSource: explicit ? ('explicit' as const) : ('feeds' as const), windowDays, from, to, validatedAt: at };
  if (!ips.length) {
    return { ...base, status: 'not_relevant', reason: 'No IP of this record is confirmed by a threat-intel feed, so there is no malicious IP to look for; name one explicitly to validate against it.', evidence: [] };
  }
  const evidence: ConnectionEvidence[] = [];
  for (const ip of ips) {
    for (const r of store.intel.recordsWithIp(caseId, ip, from, to)) {
      if (r.id === eventId) continue; // the alert is the claim, not its evidence
      const doc = JSON.parse(r.doc) as Doc;
      if (!doc.event?.category?.includes('network') || !doc.event.type?.includes('connection')) continue;
      const src = doc.source?.ip ? canonicalIp(doc.source.ip) : null;
      const dst = doc.destination?.ip ? canonicalIp(doc.destination.ip) : null;
      if (dst !== ip || !src || src === ip || !internal(src)) continue;
      evidence.push({
        eventId: r.id as EventId,
        format: r.format,
        ts: r.ts,
        internalIp: src,
        host: r.host ?? doc.host?.name ?? doc.host?.hostname ?? null,
        maliciousIp: ip,
        destinationPort: doc.destination?.port ?? null,
        bytes: typeof doc.network?.bytes === 'number' ? doc.network.bytes : null,
      });
    }
  }
  const between = `between ${from} and ${to} (${windowDays} day${windowDays === 1 ? '' : 's'} either side of the alert)`;
  if (!evidence.length) {
    return {
      ...base,
      status: 'not_relevant',
      reason: `No connection from an internal address to ${ips.join(', ')} ${between} in the case's network connection records (Zeek conn, Sysmon network connection, Suricata flow).`,
      evidence,
    };
  }
  const sources = [...new Set(evidence.map((e) => e.internalIp))].sort();
  return {
    ...base,
    status: 'qualified',
    reason: `${evidence.length} connection${evidence.length === 1 ? '' : 's'} from internal ${sources.length === 1 ? 'address' : 'addresses'} ${sources.join(', ')} to ${[...new Set(evidence.map((e) => e.maliciousIp))].join(', ')} ${between}.`,
    evidence,
  };
}
