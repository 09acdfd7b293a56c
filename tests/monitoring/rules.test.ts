import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTool, run } from './tools';

const PROMETHEUS_DIR = path.resolve(__dirname, '../../monitoring/prometheus');
const ALERTMANAGER_DIR = path.resolve(__dirname, '../../monitoring/alertmanager');
const hasPromtool = requireTool('/usr/bin/promtool', 'prometheus');
const hasAmtool = requireTool('/usr/bin/amtool', 'prometheus-alertmanager');

describe.skipIf(!hasPromtool)('monitoring/prometheus, checked by promtool', () => {
  it('is a valid Prometheus configuration whose rule files load', () => {
    const output = run('/usr/bin/promtool', ['check', 'config', 'prometheus.yml'], PROMETHEUS_DIR);
    expect(output).toMatch(/SUCCESS: 1 rule files found/);
  });

  it('has valid rules', () => {
    expect(run('/usr/bin/promtool', ['check', 'rules', 'rules/matchcast.yml'], PROMETHEUS_DIR)).toMatch(/SUCCESS/);
  });

  it('passes its rule unit tests (every alert firing and not firing)', () => {
    expect(run('/usr/bin/promtool', ['test', 'rules', 'tests/matchcast.test.yml'], PROMETHEUS_DIR)).toMatch(/SUCCESS/);
  });
});

describe.skipIf(!hasAmtool)('monitoring/alertmanager, checked by amtool', () => {
  it('is a valid Alertmanager configuration', () => {
    expect(run('/usr/bin/amtool', ['check-config', 'alertmanager.yml'], ALERTMANAGER_DIR)).toMatch(/SUCCESS/);
  });
});
