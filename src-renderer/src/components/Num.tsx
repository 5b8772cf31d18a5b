/** Numbers as a trader reads them: right-aligned, tabular monospace, signed values colored. */
import { DASH, formatMoney, formatPrice, formatQty, signOf } from './format';

type Kind = 'price' | 'qty' | 'money' | 'pnl';

export function Num(props: { value: string | null | undefined; kind: Kind; tick?: string; lot?: string; className?: string; title?: string }) {
  const { value, kind } = props;
  let text: string;
  switch (kind) {
    case 'price':
      text = formatPrice(value, props.tick);
      break;
    case 'qty':
      text = formatQty(value, props.lot);
      break;
    case 'money':
      text = formatMoney(value);
      break;
    case 'pnl':
      text = formatMoney(value, { plus: true });
      break;
  }
  const sign = kind === 'pnl' ? signOf(value) : 0;
  const cls = ['num', sign > 0 ? 'pos' : sign < 0 ? 'neg' : '', text === DASH ? 'muted' : '', props.className ?? ''].filter(Boolean).join(' ');
  return (
    <span className={cls} title={props.title}>
      {text}
    </span>
  );
}

export function SideTag({ side }: { side: 'buy' | 'sell' }) {
  return <span className={side === 'buy' ? 'side buy' : 'side sell'}>{side === 'buy' ? 'BUY' : 'SELL'}</span>;
}

export function Tabs<T extends string>(props: { tabs: ReadonlyArray<{ id: T; label: string; count?: number }>; active: T; onChange: (id: T) => void; label: string; right?: React.ReactNode }) {
  return (
    <div className="panel-head">
      <div className="tabs" role="tablist" aria-label={props.label}>
        {props.tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            data-testid={`tab-${t.id}`}
            aria-selected={props.active === t.id}
            aria-controls={`panel-${t.id}`}
            className={props.active === t.id ? 'tab active' : 'tab'}
            onClick={() => props.onChange(t.id)}
          >
            {t.label}
            {t.count !== undefined && <span className="count">{t.count}</span>}
          </button>
        ))}
      </div>
      {props.right && <div className="panel-tools">{props.right}</div>}
    </div>
  );
}
