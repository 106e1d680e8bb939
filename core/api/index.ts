import { z } from 'zod';
import { blastRadius, dependencyGraph, importAssets, importDependencies, lookupAsset, resolveAssets } from './commands/assets.js';
import { attackLookup, attackMatrix } from './commands/attack.js';
import { addEvidence, addNote, addTask, createCase, getCase, listCases, listNotes, listTasks, setCaseStatus, tagEvent } from './commands/case.js';
import { getEvent, importEvidence, listEvents, listIncidents, listQuarantine, regroupIncidents } from './commands/evidence.js';
import { addEntity, graphCase, graphNeighbors, graphRecords, graphStart, graphViewGet, graphViewList, graphViewSave } from './commands/graph.js';
import { getAssessment, getThresholds, importFeed, listFeeds, rateAlerts, setThresholds, validateAlerts } from './commands/intel.js';
import { listJournal, verifyJournal } from './commands/journal.js';
import { listSigmaRules, runSigma } from './commands/sigma.js';
import { systemInfo } from './commands/system.js';
import { exportReport } from './commands/report.js';
import {
  controlRun,
  convertPlaybook,
  decideApproval,
  getPlaybook,
  getRun,
  importPlaybook,
  listNotifyTargets,
  listPlaybooks,
  listRuns,
  playbookSchema,
  replayRun,
  resumeRun,
  setBreakpoints,
  setNotifyTarget,
  setRunVars,
  shadowReport,
  startRun,
  submitManual,
  validatePlaybook,
} from './commands/playbooks.js';
import {
  addConnector,
  listActions as listConnectorActions,
  listConnectors,
  listVendors,
  pullConnector,
  removeConnector,
  runAction as runConnectorAction,
  stopConnector,
  testConnector,
  updateConnector,
} from './commands/connectors.js';

export * from './contract.js';
export * from './errors.js';
export * from './events.js';
export * from './security.js';
export * from './bridge.js';
export { ImportTotals } from './commands/evidence.js';
export { SigmaRunSummary } from './commands/sigma.js';
export { ConnectorInfo, VendorManifest, PullOutput } from './commands/connectors.js';
export { PlaybookInfo, PlaybookGraph, MappingNote } from './commands/playbooks.js';
export { GraphOutput } from './commands/graph.js';

const all = [
  createCase,
  listCases,
  getCase,
  addNote,
  listNotes,
  setCaseStatus,
  addTask,
  listTasks,
  tagEvent,
  addEvidence,
  listJournal,
  verifyJournal,
  systemInfo,
  importEvidence,
  listEvents,
  getEvent,
  listQuarantine,
  listIncidents,
  regroupIncidents,
  importAssets,
  resolveAssets,
  lookupAsset,
  importDependencies,
  dependencyGraph,
  blastRadius,
  importFeed,
  listFeeds,
  getThresholds,
  setThresholds,
  rateAlerts,
  validateAlerts,
  getAssessment,
  attackLookup,
  attackMatrix,
  listSigmaRules,
  runSigma,
  listVendors,
  addConnector,
  listConnectors,
  updateConnector,
  removeConnector,
  testConnector,
  pullConnector,
  stopConnector,
  runConnectorAction,
  listConnectorActions,
  listPlaybooks,
  getPlaybook,
  validatePlaybook,
  convertPlaybook,
  importPlaybook,
  playbookSchema,
  shadowReport,
  startRun,
  getRun,
  listRuns,
  controlRun,
  setBreakpoints,
  setRunVars,
  decideApproval,
  submitManual,
  replayRun,
  resumeRun,
  setNotifyTarget,
  listNotifyTargets,
  graphCase,
  graphNeighbors,
  graphStart,
  graphRecords,
  graphViewSave,
  graphViewGet,
  graphViewList,
  exportReport,
  addEntity,
] as const;

type ByName<T extends readonly { name: string }[]> = { [C in T[number] as C['name']]: C };
export type Commands = ByName<typeof all>;
export type CommandName = keyof Commands;
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>;
export type CommandOutput<N extends CommandName> = z.output<Commands[N]['output']>;

export const commands = Object.fromEntries(all.map((c) => [c.name, c])) as unknown as Commands;
export const commandNames = all.map((c) => c.name) as CommandName[];
export const CommandName = z.enum(commandNames as [CommandName, ...CommandName[]]);

/** The envelope both hosts accept: HTTP POST /api/invoke bodies and Electron IPC invocations. */
export const InvokeRequest = z.object({ command: z.string().min(1).max(100), input: z.unknown() });
export type InvokeRequest = z.infer<typeof InvokeRequest>;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}
