// Batch input (one number a line, or CSV: number[,code[,phone tail]]) and CSV export that Excel
// opens correctly in Chinese (UTF-8 with a byte-order mark, CRLF).

// RFC 4180 rows: quoted fields may hold separators, quotes ("") and line breaks.
export function parseCsvRows(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const src = text.replace(/^\ufeff/, '');
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < src.length) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === ',' || ch === '\t' || ch === ';' || ch === '，') {
      endField();
    } else if (ch === '\r' || ch === '\n') {
      endRow();
      if (ch === '\r' && src[i + 1] === '\n') i += 1;
    } else {
      field += ch;
    }
    i += 1;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

// A first row naming the columns is skipped.
const HEADER_WORDS = /^(快递单号|单号|运单号|kddh|tracking[ _]?(number|no)?|number)$/i;

// Items {number, code, tel} in input order; blank lines are dropped.
export function parseBatchInput(text) {
  const rows = parseCsvRows(text).map((cells) => cells.map((c) => c.trim()));
  const items = [];
  rows.forEach((cells, index) => {
    const [number = '', code = '', tel = ''] = cells;
    if (number === '' && code === '' && tel === '') return;
    if (index === 0 && HEADER_WORDS.test(number)) return;
    items.push({ number, code, tel });
  });
  return items;
}

// A cell starting with = + - @ (or a tab/CR) would run as a formula in a spreadsheet: quote it.
// A long run of digits (a tracking number) is written ="…": Excel would show 7.8627E+13 and lose
// digits past the 15th on re-save, a leading ' or tab stays a visible character in LibreOffice,
// and both evaluate ="…" to the text itself. Only all-digit cells get it, so no formula slips in.
function csvCell(value) {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^\d{11,}$/.test(text) || /^0\d+$/.test(text)) return `"=""${text}"""`;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header, rows) {
  return `\ufeff${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
