/** Each format's file: its extension, its content type and its writer. */
import type { ReportFormat } from "../../../db/schema/reports.ts";
import { writeCsv } from "./csv.ts";
import { writePdf } from "./pdf.ts";
import type { Report, Sink } from "./report-model.ts";
import { writeXlsx } from "./xlsx.ts";

export const FORMAT_FILES: Record<ReportFormat, { ext: string; contentType: string; write: (r: Report, s: Sink) => Promise<void> }> = {
  csv: { ext: "csv", contentType: "text/csv; charset=utf-8", write: writeCsv },
  xlsx: { ext: "xlsx", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", write: writeXlsx },
  pdf: { ext: "pdf", contentType: "application/pdf", write: writePdf },
};
