import { heartbeatJob } from './heartbeat';
import { nasSessionSamplerJob } from './nas-session-sampler';
import { planPushJob } from './plan-push';
import { poolImportJob } from './pool-import';
import { subscriberImportJob } from './subscriber-import';
import type { JobDefinition } from './runner';

/** Every job the panel runs; instrumentation.ts hands them to the runner. */
export function panelJobs(log: (line: string) => void = console.log): JobDefinition[] {
  return [poolImportJob(log), heartbeatJob(log), subscriberImportJob(log), nasSessionSamplerJob(log), planPushJob(log)];
}
