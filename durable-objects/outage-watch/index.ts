/** The OutageWatch object as the monitoring family sees it: the class, its settings and its status. */
export { OutageWatch, type WatchSettings, type WatchStatus } from "./outage-watch.ts";
