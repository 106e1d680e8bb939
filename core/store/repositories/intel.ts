import type { FeedFormat, FeedRef, FeedReport, FeedSummary, IndicatorType, Reliability, Thresholds } from '../../model/index.js';
import type { Db } from '../open.js';

export interface IndicatorRow {
  type: IndicatorType;
  canonical: string;
  value: string;
  sourceRef: string;
  confidence: number | null;
}

export interface NewFeed {
  id: string;
  name: string;
  format: FeedFormat;
  reliability: Reliability;
  file: string;
  sha256: string;
  importedAt: string;
  report: FeedReport;
}

interface FeedDbRow {
  id: string;
  name: string;
  format: FeedFormat;
  reliability: Reliability;
  file: string;
  sha256: string;
  report: string;
  imported_at: string;
}

/** A record that touched an IP, as validation needs it: where, when, and the normalised document. */
export interface ConnectionCandidate {
  id: string;
  ts: string;
  format: string;
  host: string | null;
  doc: string;
}

const THRESHOLDS_KEY = 'thresholds';

/** Organisation-wide indicator feeds, the routing thresholds, and the assessments stored with each record. */
export class IntelRepository {
  constructor(private readonly db: Db) {}

  /** Replaces the feed of that name, indicators and all; returns the id of the feed it replaced, if any. */
  replaceFeed(feed: NewFeed, indicators: IndicatorRow[]): { replaced: string | null } {
    const old = this.db.prepare('SELECT id FROM intel_feeds WHERE name = ?').get(feed.name) as { id: string } | undefined;
    if (old) this.db.prepare('DELETE FROM intel_feeds WHERE id = ?').run(old.id);
    this.db
      .prepare(
        'INSERT INTO intel_feeds (id, name, format, reliability, file, sha256, indicators, report, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(feed.id, feed.name, feed.format, feed.reliability, feed.file, feed.sha256, indicators.length, JSON.stringify(feed.report), feed.importedAt);
    const insert = this.db.prepare(
      'INSERT INTO intel_indicators (feed_id, type, canonical, value, source_ref, confidence) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const i of indicators) insert.run(feed.id, i.type, i.canonical, i.value, i.sourceRef, i.confidence);
    return { replaced: old?.id ?? null };
  }

  listFeeds(): FeedSummary[] {
    const rows = this.db.prepare('SELECT * FROM intel_feeds ORDER BY name').all() as FeedDbRow[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      format: r.format,
      reliability: r.reliability,
      file: r.file,
      sha256: r.sha256,
      importedAt: r.imported_at,
      report: JSON.parse(r.report) as FeedReport,
    }));
  }

  feedCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM intel_feeds').get() as { n: number }).n;
  }

  indicatorCount(feedId: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM intel_indicators WHERE feed_id = ?').get(feedId) as { n: number }).n;
  }

  thresholds(): Thresholds | null {
    const row = this.db.prepare('SELECT value FROM intel_settings WHERE key = ?').get(THRESHOLDS_KEY) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as Thresholds) : null;
  }

  setThresholds(t: Thresholds): void {
    this.db
      .prepare('INSERT INTO intel_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(THRESHOLDS_KEY, JSON.stringify(t));
  }

  /** Each indicator-type entity of a record with the feeds that name it (entities no feed names are left out). */
  confirmations(eventId: string): { type: IndicatorType; canonical: string; feed: FeedRef }[] {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT en.type, en.canonical, f.name, f.reliability
         FROM event_entities ee
         JOIN entities en ON en.id = ee.entity_id
         JOIN intel_indicators i ON i.type = en.type AND i.canonical = en.canonical
         JOIN intel_feeds f ON f.id = i.feed_id
         WHERE ee.event_id = ?
         ORDER BY en.type, en.canonical, f.name`,
      )
      .all(eventId) as { type: IndicatorType; canonical: string; name: string; reliability: Reliability }[];
    return rows.map((r) => ({ type: r.type, canonical: r.canonical, feed: { name: r.name, reliability: r.reliability } }));
  }

  alertIds(caseId: string): string[] {
    return (this.db.prepare("SELECT id FROM events WHERE case_id = ? AND kind = 'alert' ORDER BY ts, id").raw().all(caseId) as [string][]).map(
      (r) => r[0],
    );
  }

  eventExists(caseId: string, eventId: string): { ts: string } | undefined {
    return this.db.prepare('SELECT ts FROM events WHERE case_id = ? AND id = ?').get(caseId, eventId) as { ts: string } | undefined;
  }

  /** Records of a case between two times (inclusive) that name the IP as source or destination, oldest first. */
  recordsWithIp(caseId: string, ip: string, from: string, to: string): ConnectionCandidate[] {
    return this.db
      .prepare(
        `SELECT DISTINCT e.id, e.ts, e.format, e.host, e.doc
         FROM entities en
         JOIN event_entities ee ON ee.entity_id = en.id AND ee.role IN ('source', 'destination')
         JOIN events e ON e.id = ee.event_id
         WHERE en.case_id = ? AND en.type = 'ip' AND en.canonical = ? AND e.ts >= ? AND e.ts <= ?
         ORDER BY e.ts, e.id`,
      )
      .all(caseId, ip, from, to) as ConnectionCandidate[];
  }

  saveRating(caseId: string, eventId: string, rating: unknown, at: string): void {
    this.db
      .prepare(
        `INSERT INTO alert_assessments (event_id, case_id, rating, rating_detail, rated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (event_id) DO UPDATE SET rating = excluded.rating, rating_detail = excluded.rating_detail, rated_at = excluded.rated_at`,
      )
      .run(eventId, caseId, (rating as { routing: string }).routing, JSON.stringify(rating), at);
  }

  saveValidation(caseId: string, eventId: string, validation: unknown, at: string): void {
    this.db
      .prepare(
        `INSERT INTO alert_assessments (event_id, case_id, validation, validation_detail, validated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (event_id) DO UPDATE SET validation = excluded.validation, validation_detail = excluded.validation_detail,
           validated_at = excluded.validated_at`,
      )
      .run(eventId, caseId, (validation as { status: string }).status, JSON.stringify(validation), at);
  }

  assessment(caseId: string, eventId: string): { rating: unknown; validation: unknown } | undefined {
    const row = this.db
      .prepare('SELECT rating_detail, validation_detail FROM alert_assessments WHERE case_id = ? AND event_id = ?')
      .get(caseId, eventId) as { rating_detail: string | null; validation_detail: string | null } | undefined;
    if (!row) return undefined;
    return {
      rating: row.rating_detail === null ? null : (JSON.parse(row.rating_detail) as unknown),
      validation: row.validation_detail === null ? null : (JSON.parse(row.validation_detail) as unknown),
    };
  }
}
