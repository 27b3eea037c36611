// Lists downloaded as CSV files, as spreadsheet programs in Japan read them: RFC 4180 with a byte-order
// mark (so Excel reads the Japanese as UTF-8) and CRLF line ends, made in the browser from what is shown.

export const toCsv = (rows: readonly (readonly string[])[]): string =>
  `\uFEFF${rows
    .map((row) =>
      row.map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(","),
    )
    .join("\r\n")}\r\n`;

/** Saves `rows` as the file `name` (a download; nothing leaves the browser). */
export const downloadCsv = (name: string, rows: readonly (readonly string[])[]): void => {
  const url = URL.createObjectURL(new Blob([toCsv(rows)], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
};
