import { ConnectRuntime } from '../connect/runtime.js';
import type { SigmaRunner } from '../detect/sigma/worker.js';
import type { ImportRunner } from '../ingest/index.js';
import type { Handlers } from '../router.js';
import { blastRadiusOf, dependencyGraph, importAssetFile, importDependencyFile, lookupAsset, resolveAssets } from './assets.js';
import { attackLookup, attackMatrix } from './attack.js';
import { addEvidence, addNote, addTask, createCase, getCase, listCases, listNotes, listTasks, setCaseStatus, tagEvent } from './cases.js';
import { getEvent, importEvidence, listEvents, listIncidents, listQuarantine, regroup } from './evidence.js';
import { addEntity, graphCase, graphNeighbors, graphRecords, graphStart, graphViewGet, graphViewList, graphViewSave } from './graph.js';
import { getAssessment, getThresholds, importFeed, listFeeds, rateAlerts, setThresholds, validate } from './intel.js';
import { listJournal, verifyJournal } from './journal.js';
import { listSigmaRules, runSigmaRules } from './sigma.js';
import { systemInfo } from './system.js';
import { connectorHandlers } from './connectors.js';
import { playbookHandlers } from './playbooks.js';
import { exportReport } from './report.js';
import type { EngineRuntime } from '../engine/index.js';

export function handlers(
  appVersion: string,
  options: {
    importRunner?: ImportRunner | undefined;
    readerScript?: string | URL | undefined;
    sigmaRunner?: SigmaRunner | undefined;
    connect?: ConnectRuntime | undefined;
    engine: EngineRuntime;
  },
): Handlers {
  return {
    'case.create': createCase,
    'case.list': listCases,
    'case.get': getCase,
    'note.add': addNote,
    'note.list': listNotes,
    'case.setStatus': setCaseStatus,
    'task.add': addTask,
    'task.list': listTasks,
    'event.tag': tagEvent,
    'evidence.add': addEvidence,
    'journal.list': listJournal,
    'audit.verify': verifyJournal,
    'system.info': systemInfo(appVersion),
    'evidence.import': importEvidence(options.importRunner, options.readerScript),
    'event.list': listEvents,
    'event.get': getEvent,
    'quarantine.list': listQuarantine,
    'incident.list': listIncidents,
    'incident.regroup': regroup,
    'asset.import': importAssetFile,
    'asset.resolve': resolveAssets,
    'asset.lookup': lookupAsset,
    'deps.import': importDependencyFile,
    'deps.graph': dependencyGraph,
    'deps.blastRadius': blastRadiusOf,
    'intel.feed.import': importFeed,
    'intel.feed.list': listFeeds,
    'intel.thresholds.get': getThresholds,
    'intel.thresholds.set': setThresholds,
    'intel.rate': rateAlerts,
    'alert.validate': validate,
    'intel.assessment.get': getAssessment,
    'attack.lookup': attackLookup,
    'attack.matrix': attackMatrix,
    'sigma.rules': listSigmaRules,
    'sigma.run': runSigmaRules(options.sigmaRunner),
    'graph.case': graphCase,
    'graph.neighbors': graphNeighbors,
    'graph.start': graphStart,
    'graph.records': graphRecords,
    'graph.view.save': graphViewSave,
    'graph.view.get': graphViewGet,
    'graph.view.list': graphViewList,
    'entity.add': addEntity,
    ...connectorHandlers(options.connect ?? new ConnectRuntime()),
    ...playbookHandlers(options.engine),
    'report.export': exportReport,
  };
}
