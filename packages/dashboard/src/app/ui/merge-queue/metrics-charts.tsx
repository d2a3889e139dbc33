'use client';
import {
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { Bar, Line } from 'react-chartjs-2';
import type { MetricsBucket } from '@velocity/quantum-merge';

// Tree-shaken chart.js: register only what the three charts use.
ChartJS.register(
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
);

const OPTIONS = {
  responsive: true,
  maintainAspectRatio: false,
  // Live updates arrive every half second at most; animating each one only blurs them.
  animation: false,
  plugins: { legend: { display: false } },
  scales: { y: { beginAtZero: true } },
} as const;

/** `YYYY-MM-DD HH:00` in UTC, the hour a bucket starts. */
function hourLabel(hourMs: number): string {
  return `${new Date(hourMs).toISOString().slice(0, 13).replace('T', ' ')}:00`;
}

/** Throughput, time to merge and builds per merged PR, per hour (`QueueApi.metrics().hourly`). */
export function MetricsCharts({ hourly }: { hourly: readonly MetricsBucket[] }) {
  if (hourly.length === 0) return <p className="muted">No merge or build yet.</p>;
  const labels = hourly.map((bucket) => hourLabel(bucket.hour));
  return (
    <div className="charts" data-testid="charts">
      <figure className="chart">
        <figcaption>Throughput (PRs merged per hour)</figcaption>
        <Bar
          options={OPTIONS}
          data={{
            labels,
            datasets: [
              {
                label: 'merged',
                data: hourly.map((bucket) => bucket.merged),
                backgroundColor: '#1a7f37',
              },
            ],
          }}
        />
      </figure>
      <figure className="chart">
        <figcaption>Time to merge, p50 (minutes)</figcaption>
        <Line
          options={OPTIONS}
          data={{
            labels,
            datasets: [
              {
                label: 'p50 minutes',
                data: hourly.map((bucket) =>
                  bucket.timeToMergeP50 === null ? null : bucket.timeToMergeP50 / 60,
                ),
                borderColor: '#0969da',
                backgroundColor: '#0969da',
                spanGaps: true,
              },
            ],
          }}
        />
      </figure>
      <figure className="chart">
        <figcaption>Builds per merged PR</figcaption>
        <Bar
          options={OPTIONS}
          data={{
            labels,
            datasets: [
              {
                label: 'builds per merged PR',
                data: hourly.map((bucket) =>
                  bucket.merged === 0 ? null : bucket.builds / bucket.merged,
                ),
                backgroundColor: '#9a6700',
              },
            ],
          }}
        />
      </figure>
    </div>
  );
}
