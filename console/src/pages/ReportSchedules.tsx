/** Report schedules (and the format choice the run form shares): the active subscriptions, a new one (report, frequency, formats), and ending one after confirming. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, must } from "../api/client.ts";
import { Confirm } from "../components/Confirm.tsx";
import { Empty, ErrorBox, Loading } from "../components/States.tsx";
import { DataTable } from "../components/table.tsx";
import { formatDateTime } from "../lib/format.ts";

type Frequency = "daily" | "weekly" | "monthly";
export const FORMATS = ["csv", "xlsx", "pdf"] as const;
export type Format = (typeof FORMATS)[number];

export function FormatChoice({ chosen, onChange }: { chosen: Format[]; onChange: (next: Format[]) => void }) {
  return (
    <fieldset className="row">
      <legend>Formats</legend>
      {FORMATS.map((f) => (
        <label key={f} className="row">
          <input
            type="checkbox"
            checked={chosen.includes(f)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, f] : chosen.filter((x) => x !== f))}
          />
          {f.toUpperCase()}
        </label>
      ))}
    </fieldset>
  );
}

export function ReportSchedules({ definitions }: { definitions: { id: string; title: string }[] }) {
  const queries = useQueryClient();
  const schedules = useQuery({ queryKey: ["report-schedules"], queryFn: () => must(api.GET("/api/reports/schedules")) });
  const [chosen, setChosen] = useState("");
  const [frequency, setFrequency] = useState<Frequency>("weekly");
  const [formats, setFormats] = useState<Format[]>([...FORMATS]);
  const [ending, setEnding] = useState<string | null>(null);
  const refresh = () => queries.invalidateQueries({ queryKey: ["report-schedules"] });
  const create = useMutation({
    mutationFn: (body: { definition: string; frequency: Frequency; formats: Format[]; params: Record<string, unknown> }) =>
      must(api.POST("/api/reports/schedules", { body })),
    onSuccess: refresh,
  });
  const end = useMutation({
    mutationFn: (id: string) => must(api.DELETE("/api/reports/schedules/{id}", { params: { path: { id } } })),
    onSettled: async () => {
      setEnding(null);
      await refresh();
    },
  });
  const definition = chosen || definitions[0]?.id || "";
  const title = (id: string) => definitions.find((d) => d.id === id)?.title ?? id;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (definition && formats.length) create.mutate({ definition, frequency, formats, params: {} });
  };
  return (
    <section aria-labelledby="schedules-title">
      <h2 id="schedules-title">Schedules</h2>
      <form className="form" onSubmit={submit} aria-label="Schedule a report">
        <label>
          Scheduled report
          <select value={definition} onChange={(e) => setChosen(e.target.value)}>
            {definitions.map((d) => (
              <option key={d.id} value={d.id}>
                {d.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          Every
          <select value={frequency} onChange={(e) => setFrequency(e.target.value as Frequency)}>
            <option value="daily">day</option>
            <option value="weekly">week</option>
            <option value="monthly">month</option>
          </select>
        </label>
        <FormatChoice chosen={formats} onChange={setFormats} />
        <button type="submit" disabled={!definition || !formats.length || create.isPending}>
          Schedule
        </button>
      </form>
      <ErrorBox error={schedules.error ?? create.error ?? end.error} />
      {schedules.isPending ? <Loading /> : null}
      {schedules.data && schedules.data.schedules.length === 0 ? <Empty>No report is scheduled.</Empty> : null}
      {schedules.data?.schedules.length ? (
        <DataTable
          caption="Report schedules"
          rows={schedules.data.schedules}
          rowKey={(s) => s.id}
          columns={[
            { key: "definition", label: "Report", render: (s) => title(s.definition) },
            { key: "frequency", label: "Frequency", render: (s) => s.frequency },
            { key: "formats", label: "Formats", render: (s) => s.formats.map((f) => f.toUpperCase()).join(", ") },
            { key: "next", label: "Next run", render: (s) => formatDateTime(s.nextRunAt) },
            { key: "failures", label: "Failures", numeric: true, render: (s) => s.failures },
            {
              key: "end",
              label: "End",
              render: (s) => (
                <button
                  type="button"
                  className="secondary"
                  aria-label={`End the ${s.frequency} ${title(s.definition)}`}
                  onClick={() => setEnding(s.id)}
                >
                  End
                </button>
              ),
            },
          ]}
        />
      ) : null}
      <Confirm
        open={ending !== null}
        title="End this schedule?"
        confirmLabel="End the schedule"
        danger
        busy={end.isPending}
        onConfirm={() => ending && end.mutate(ending)}
        onCancel={() => setEnding(null)}
      />
    </section>
  );
}
