export { buildCaseGraph, entityNodeId, type BuildOptions, type Built } from './build.js';
export { caseGraph, neighbors, startGraph, elementRecords, DEFAULT_GROUP_LEAVES_ABOVE, type CaseGraphQuery } from './query.js';
export { filterGraph, groupLeaves, capGraph, sortGraph, GROUP_MEMBERS_CAP } from './shape.js';
export { saveView, getView, listViews } from './views.js';
export { EVENT_IDS_CAP } from './elements.js';
export type { ReadStats } from './read.js';
