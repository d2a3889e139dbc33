/**
 * The agent's event bus: app output and agent events, scrubbed, for `livepatch logs` and the dashboard.
 *
 * @module
 */
export { AGENT_EVENT_KINDS, AgentEventBus, LOG_STREAMS } from './agent-event-bus.js';
export type {
  AgentEventBusOptions,
  AgentEventKind,
  AgentLogInput,
  AgentLogListener,
  AgentLogRecord,
  LogStream,
  OutputStream,
  PipeOutputOptions,
} from './agent-event-bus.js';
export { EventBusOptionError } from './errors.js';
