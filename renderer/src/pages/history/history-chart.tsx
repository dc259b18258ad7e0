import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDayKey } from '../../format/format-date-time';
import type { DayStats } from './run-stats';

/**
 * The last 30 days: runs and runs with failures as bars (failures hatched as well as red), records
 * changed as a line on its own axis. The picture is decoration for sighted readers; the same numbers
 * are in the summary sentence and the table under it, which is what assistive technology reads.
 */
export function HistoryChart({ stats, locale }: { stats: DayStats[]; locale: string }) {
  const data = stats.map((s) => ({ ...s, label: formatDayKey(s.day, locale) }));
  const totals = stats.reduce(
    (sum, s) => ({ runs: sum.runs + s.runs, changed: sum.changed + s.changed, failures: sum.failures + s.failures }),
    { runs: 0, changed: 0, failures: 0 },
  );
  const first = stats[0];
  const last = stats.at(-1);
  const range =
    first && last ? `${formatDayKey(first.day, locale, true)} to ${formatDayKey(last.day, locale, true)}` : '';
  const summary =
    `From ${range}: ${totals.runs} ${totals.runs === 1 ? 'run' : 'runs'}, ` +
    `${totals.changed} ${totals.changed === 1 ? 'record' : 'records'} changed, ` +
    `${totals.failures} ${totals.failures === 1 ? 'run' : 'runs'} with failures.`;

  return (
    <figure className="panel history-chart" aria-labelledby="history-chart-caption">
      <figcaption id="history-chart-caption">
        <h2>Last 30 days</h2>
        <p className="chart-summary">{summary}</p>
      </figcaption>
      <div className="chart-area" aria-hidden="true">
        <ResponsiveContainer width="100%" height={260}>
          <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer={false}>
            <defs>
              <pattern
                id="failure-hatch"
                width="6"
                height="6"
                patternUnits="userSpaceOnUse"
                patternTransform="rotate(45)"
              >
                <rect width="6" height="6" fill="#a12a2a" />
                <line x1="0" y1="0" x2="0" y2="6" stroke="#fbe9e9" strokeWidth="2" />
              </pattern>
            </defs>
            <CartesianGrid stroke="#d8dde5" vertical={false} />
            <XAxis
              dataKey="label"
              tick={{ fill: '#5a6474', fontSize: 12 }}
              interval="preserveStartEnd"
              minTickGap={16}
            />
            <YAxis yAxisId="runs" allowDecimals={false} tick={{ fill: '#5a6474', fontSize: 12 }} width={40} />
            <YAxis
              yAxisId="changed"
              orientation="right"
              allowDecimals={false}
              tick={{ fill: '#5a6474', fontSize: 12 }}
              width={48}
            />
            <Tooltip />
            <Legend />
            <Bar yAxisId="runs" dataKey="runs" name="Runs" fill="#2457a6" isAnimationActive={false} />
            <Bar
              yAxisId="runs"
              dataKey="failures"
              name="Runs with failures"
              fill="url(#failure-hatch)"
              stroke="#a12a2a"
              isAnimationActive={false}
            />
            <Line
              yAxisId="changed"
              dataKey="changed"
              name="Records changed (right axis)"
              stroke="#1f6f43"
              strokeWidth={2}
              strokeDasharray="6 3"
              dot={{ r: 3 }}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <details className="chart-data">
        <summary>The chart’s numbers as a table</summary>
        <div className="table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">Runs per day, the last 30 days</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col" className="numeric">
                  Runs
                </th>
                <th scope="col" className="numeric">
                  Records changed
                </th>
                <th scope="col" className="numeric">
                  Runs with failures
                </th>
              </tr>
            </thead>
            <tbody>
              {stats.map((s) => (
                <tr key={s.day}>
                  <th scope="row">{formatDayKey(s.day, locale, true)}</th>
                  <td className="numeric">{s.runs}</td>
                  <td className="numeric">{s.changed}</td>
                  <td className="numeric">{s.failures}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
