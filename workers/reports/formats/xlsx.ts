/**
 * XLSX (Office Open XML), written as it is read: each section is one
 * worksheet streamed row by row into a deflated zip entry (fflate), so memory
 * holds one page of rows and the compressed output, never the sheet's XML.
 * Cells are typed: numbers as numbers, money in major units with the
 * currency's decimals and a thousands separator, rates as percentages, dates
 * as dates; text is written inline (never a formula). The header row of
 * every sheet is bold and stays frozen while scrolling. A first sheet names
 * the shop, the report, its period and currency.
 */
import { strToU8, Zip, ZipDeflate } from "fflate";
import { type Cell, type Column, fractionDigits, headerLabel, major, type Report, type Sink } from "./report-model.ts";
import { xmlText } from "./xml-text.ts";

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Style indexes in styles.xml's cellXfs. */
const STYLE = { text: 0, header: 1, money: 2, integer: 3, rate: 4, date: 5 } as const;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/** A1-style column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let n = index + 1;
  let name = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

/** Sheet names: at most 31 characters, none of []:*?/\, unique in the workbook. */
export function sheetNames(titles: string[]): string[] {
  const used = new Set<string>();
  return titles.map((t) => {
    const base =
      t
        .replace(/[[\]:*?/\\]/g, " ")
        .replace(/[\u0000-\u001F]/g, "")
        .trim()
        .slice(0, 31) || "Sheet";
    let name = base;
    for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
    used.add(name.toLowerCase());
    return name;
  });
}

function styles(digits: number): string {
  const money = digits > 0 ? `#,##0.${"0".repeat(digits)}` : "#,##0";
  return `${XML_HEAD}<styleSheet ${NS}><numFmts count="2"><numFmt numFmtId="164" formatCode="${money}"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;
}

const textCell = (ref: string, text: string, style: number = STYLE.text) =>
  `<c r="${ref}" t="inlineStr"${style ? ` s="${style}"` : ""}><is><t xml:space="preserve">${xmlText(text)}</t></is></c>`;
const numberCell = (ref: string, value: number, style: number) => `<c r="${ref}" s="${style}"><v>${value}</v></c>`;

function cell(ref: string, value: Cell, column: Column, digits: number): string {
  if (value === null) return "";
  if (typeof value === "string") {
    if (column.type === "date" && /^\d{4}-\d{2}-\d{2}/.test(value)) {
      const day = Date.parse(`${value.slice(0, 10)}T00:00:00Z`);
      if (!Number.isNaN(day)) return numberCell(ref, (day - EXCEL_EPOCH) / 86_400_000, STYLE.date);
    }
    return textCell(ref, value);
  }
  if (!Number.isFinite(value)) return "";
  if (column.type === "money") return numberCell(ref, major(value, digits), STYLE.money);
  if (column.type === "rate") return numberCell(ref, value, STYLE.rate);
  if (column.type === "integer") return numberCell(ref, value, STYLE.integer);
  return numberCell(ref, value, STYLE.text);
}

const widthOf = (c: Column) => Math.min(60, Math.max(c.label.length + 4, c.type === "text" ? 24 : 14));

function sheetStart(columns: Column[], header: string[]): string {
  const cols = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${widthOf(c)}" customWidth="1"/>`).join("");
  const head = header.map((h, i) => textCell(`${columnName(i)}1`, h, STYLE.header)).join("");
  return `${XML_HEAD}<worksheet ${NS} ${REL_NS}><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>${cols}</cols><sheetData><row r="1">${head}</row>`;
}

export async function writeXlsx(report: Report, sink: Sink): Promise<void> {
  const digits = fractionDigits(report.currency);
  let failure: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failure = err;
    else sink(data);
  });
  const put = (name: string, text: string) => {
    const f = new ZipDeflate(name, { level: 6 });
    zip.add(f);
    f.push(strToU8(text), true);
  };
  const about = {
    title: "Report",
    columns: [
      { key: "field", label: "Field", type: "text" as const },
      { key: "value", label: "Value", type: "text" as const },
    ],
    rows: [
      ["Shop", report.shopName],
      ["Report", report.title],
      ["From", report.period.from.toISOString().slice(0, 10)],
      ["To (exclusive)", report.period.to.toISOString().slice(0, 10)],
      ["Currency", report.currency ?? ""],
      ["Generated", report.generatedAt.toISOString()],
    ],
  };
  const names = sheetNames([about.title, ...report.sections.map((s) => s.title)]);

  const aboutSheet = new ZipDeflate("xl/worksheets/sheet1.xml", { level: 6 });
  zip.add(aboutSheet);
  let aboutXml = sheetStart(about.columns, ["Field", "Value"]);
  about.rows.forEach(([k, v], i) => {
    aboutXml += `<row r="${i + 2}">${textCell(`A${i + 2}`, k!)}${textCell(`B${i + 2}`, v!)}</row>`;
  });
  aboutSheet.push(strToU8(`${aboutXml}</sheetData></worksheet>`), true);

  for (const [s, section] of report.sections.entries()) {
    const file = new ZipDeflate(`xl/worksheets/sheet${s + 2}.xml`, { level: 6 });
    zip.add(file);
    file.push(
      strToU8(
        sheetStart(
          section.columns,
          section.columns.map((c) => headerLabel(c, report.currency)),
        ),
      ),
    );
    let r = 1;
    for await (const page of section.pages()) {
      let xml = "";
      for (const row of page) {
        r++;
        xml += `<row r="${r}">${section.columns.map((c, i) => cell(`${columnName(i)}${r}`, row[c.key] ?? null, c, digits)).join("")}</row>`;
      }
      file.push(strToU8(xml));
      if (failure) throw failure;
    }
    file.push(strToU8("</sheetData></worksheet>"), true);
  }

  const sheets = names.map((n, i) => `<sheet name="${xmlText(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("");
  put("xl/workbook.xml", `${XML_HEAD}<workbook ${NS} ${REL_NS}><sheets>${sheets}</sheets></workbook>`);
  const sheetRels = names
    .map(
      (_, i) =>
        `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
    )
    .join("");
  put(
    "xl/_rels/workbook.xml.rels",
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheetRels}<Relationship Id="rId${names.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
  );
  put("xl/styles.xml", styles(digits));
  put(
    "_rels/.rels",
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  const overrides = names
    .map(
      (_, i) =>
        `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    )
    .join("");
  put(
    "[Content_Types].xml",
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${overrides}</Types>`,
  );
  zip.end();
  if (failure) throw failure;
}
