// Where bash's logical lines start. A quote left open at the end of a line, or a backslash before
// the newline, carries the line on into the next one: bash reads `A="x<LF>touch f<LF>y"` as one
// assignment, while NetworkManager reads line by line. An edit must treat such a span as a whole, or
// the lines left behind become commands when bash sources the file.

type State = 'none' | 'single' | 'double' | 'ansi';

/** For each line, the index of the line its logical bash line starts at. */
export function spanStarts(lines: readonly string[]): number[] {
  const starts: number[] = [];
  let state: State = 'none';
  let start = 0;
  let continued = false;
  for (let i = 0; i < lines.length; i++) {
    if (!continued) start = i;
    starts.push(start);
    const line = lines[i]!;
    let escapedNewline = false;
    for (let j = 0; j < line.length; j++) {
      const c = line[j]!;
      if (state === 'single') {
        if (c === "'") state = 'none';
      } else if (state === 'double' || state === 'ansi') {
        if (c === '\\') {
          if (j + 1 === line.length) escapedNewline = true;
          j++;
        } else if ((state === 'double' && c === '"') || (state === 'ansi' && c === "'")) state = 'none';
      } else if (c === '\\') {
        if (j + 1 === line.length) escapedNewline = true;
        j++;
      } else if (c === "'") state = 'single';
      else if (c === '"') state = 'double';
      else if (c === '$' && line[j + 1] === "'") {
        state = 'ansi';
        j++;
      } else if (c === '#' && (j === 0 || line[j - 1] === ' ' || line[j - 1] === '\t')) break;
    }
    continued = state !== 'none' || escapedNewline;
  }
  // A quote still open at the end of the file is a syntax error to bash: it runs none of it, so those
  // lines are read one by one, as NetworkManager reads them.
  if (continued) for (let i = start; i < starts.length; i++) starts[i] = i;
  return starts;
}

/** The index after the last line of the span that starts at `i`. */
export function spanEnd(starts: readonly number[], i: number): number {
  let k = i + 1;
  while (k < starts.length && starts[k] === i) k++;
  return k;
}
