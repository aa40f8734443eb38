/**
 * The handlers of each consumer group. Families add theirs here as they
 * subscribe to events; a group without a handler for a type acknowledges it.
 */
import { recordEventStat } from "../../workers/pipeline/event-stats.ts";
import type { ConsumerGroupName } from "../routing.ts";
import type { HandlerMap } from "./framework.ts";
import { appendAuditEntry } from "../../workers/audit/append.ts";

export const GROUP_HANDLERS: Record<ConsumerGroupName, HandlerMap> = {
  notifications: {},
  audit: { "*": [(event, { tx }) => appendAuditEntry(tx, event)] },
  pipeline: { "*": [(event, { tx }) => recordEventStat(tx, event)] },
  search: {},
};
