import { QuellError } from '../../api/index.js';
import type { FeedReport, IndicatorType } from '../../model/index.js';
import type { IndicatorRow } from '../../store/index.js';
import { canonicalIndicator, invalidValue } from './canonical.js';

/**
 * What a parser builds while it reads a feed: indicators deduplicated by type and canonical value, plus the
 * account of everything it did not take. A value that is not valid for its type is an error naming where it is.
 */
export class ParsedFeed {
  private readonly byKey = new Map<string, IndicatorRow>();
  private duplicates = 0;
  readonly unsupported: FeedReport['unsupported'] = [];
  readonly skipped: Record<string, number> = {};

  constructor(readonly file: string) {}

  add(type: IndicatorType, value: string, where: string, sourceRef: string, confidence: number | null, algo?: string): void {
    const canonical = canonicalIndicator(type, value, algo);
    if (canonical === null) throw this.error(where, invalidValue(type, value, algo));
    const key = `${type}\0${canonical}`;
    if (this.byKey.has(key)) {
      this.duplicates++;
      return;
    }
    this.byKey.set(key, { type, canonical, value, sourceRef, confidence });
  }

  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  error(where: string, message: string): QuellError {
    return new QuellError('invalid_input', `${this.file}: ${where}: ${message}`, { details: { file: this.file, where } });
  }

  indicators(): IndicatorRow[] {
    return [...this.byKey.values()];
  }

  report(): FeedReport {
    const byType: Record<string, number> = {};
    for (const i of this.byKey.values()) byType[i.type] = (byType[i.type] ?? 0) + 1;
    return { indicators: this.byKey.size, byType, duplicates: this.duplicates, unsupported: this.unsupported, skipped: this.skipped };
  }
}
