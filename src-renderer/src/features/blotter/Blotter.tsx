/**
 * Two panels side by side so the order lifecycle (working → filled) and its result (position)
 * are on screen together without switching tabs.
 */
import { useState } from 'react';
import { Tabs } from '../../components/Num';
import { useEngine } from '../../store/hooks';
import { countWorking, isFlat } from '../../store/selectors';
import { AuditTable } from '../safety/AuditTable';
import { ReconcileList } from '../safety/ReconcileList';
import { RiskTable } from '../safety/RiskTable';
import { FlattenAllButton } from '../positions/PositionActions';
import { BalancesTable, CancelAllButton, FillsTable, LogTable, OrdersTable, PositionsTable, WorkingTable } from './tables';

type OrdersTab = 'working' | 'orders' | 'fills' | 'reconcile' | 'audit';
type AccountTab = 'positions' | 'balances' | 'risk' | 'log';

export function OrdersPanel() {
  const [tab, setTab] = useState<OrdersTab>('working');
  const working = useEngine((s) => countWorking(s.orders));
  const orders = useEngine((s) => Object.keys(s.orders).length);
  const fills = useEngine((s) => s.fills.length);
  const reports = useEngine((s) => s.reconcileReports.length);
  return (
    <section className="panel" aria-label="Orders">
      <Tabs
        label="Orders"
        active={tab}
        onChange={setTab}
        tabs={[
          { id: 'working', label: 'Working', count: working },
          { id: 'orders', label: 'Orders', count: orders },
          { id: 'fills', label: 'Fills', count: fills },
          { id: 'reconcile', label: 'Reconcile', count: reports },
          { id: 'audit', label: 'Audit' },
        ]}
        right={tab === 'working' ? <CancelAllButton /> : undefined}
      />
      <div className="panel-body scroll" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'working' ? <WorkingTable /> : tab === 'orders' ? <OrdersTable /> : tab === 'fills' ? <FillsTable /> : tab === 'reconcile' ? <ReconcileList /> : <AuditTable />}
      </div>
    </section>
  );
}

export function AccountPanel() {
  const [tab, setTab] = useState<AccountTab>('positions');
  const positions = useEngine((s) => Object.values(s.positions).filter((p) => !isFlat(p)).length);
  const balances = useEngine((s) => Object.keys(s.balances).length);
  const notices = useEngine((s) => s.notices.length);
  return (
    <section className="panel" aria-label="Account">
      <Tabs
        label="Account"
        active={tab}
        onChange={setTab}
        tabs={[
          { id: 'positions', label: 'Positions', count: positions },
          { id: 'balances', label: 'Balances', count: balances },
          { id: 'risk', label: 'Risk' },
          { id: 'log', label: 'Log', count: notices },
        ]}
        right={tab === 'positions' ? <FlattenAllButton /> : undefined}
      />
      <div className="panel-body scroll" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'positions' ? <PositionsTable /> : tab === 'balances' ? <BalancesTable /> : tab === 'risk' ? <RiskTable /> : <LogTable />}
      </div>
    </section>
  );
}
