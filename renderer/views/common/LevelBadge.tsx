import type { Level } from '../../../core/model/index.js';

export function LevelBadge({ level }: { level: Level }) {
  return <span className={`level level-${level}`}>{level}</span>;
}
