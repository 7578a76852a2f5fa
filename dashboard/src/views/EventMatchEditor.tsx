import { ReactNode, useEffect, useState } from 'react';
import {
  addFilter, EventMatch, EventType, Filter, FILTER_OPS, filterText, filterValue, OP_LABELS, removeFilter,
  updateFilter, withOp, withType,
} from '../funnel';
import { FieldError, invalid } from '../ui';

/**
 * Edits what a funnel step, an exclusion or a path's anchor matches: a track event by name or a
 * page / screen view, and filters on the event's properties. A problem pointing under `pointer`
 * (`/steps/1/filters/0/op`) is shown next to its field.
 */
export function EventMatchEditor({ match, onChange, pointer, error, id, label, actions }: {
  match: EventMatch; onChange: (match: EventMatch) => void; pointer: string; error: unknown; id: string; label: string;
  /** Buttons at the end of the first row (a funnel step's move and remove). */
  actions?: ReactNode;
}) {
  const type = match.type ?? 'track';
  return (
    <div className="match">
      <div className="row">
        <select aria-label={`${label} type`} value={type} onChange={(e) => onChange(withType(match, e.target.value as EventType))}
          {...invalid(error, `${pointer}/type`, `${id}-type-error`)}>
          <option value="track">Event</option>
          <option value="page">Page</option>
          <option value="screen">Screen</option>
        </select>
        <FieldError error={error} pointer={`${pointer}/type`} id={`${id}-type-error`} />
        {type === 'track' && (
          <>
            <input id={`${id}-event`} aria-label={`${label} event name`} list="event-names" value={match.event ?? ''} size={20}
              placeholder="event name" onChange={(e) => onChange({ ...match, event: e.target.value })}
              {...invalid(error, `${pointer}/event`, `${id}-event-error`)} />
            <FieldError error={error} pointer={`${pointer}/event`} id={`${id}-event-error`} />
          </>
        )}
        <button type="button" className="secondary small" aria-label={`Add a property filter to ${label}`}
          onClick={() => onChange(addFilter(match, type === 'page' ? { property: 'path', op: 'eq', value: '' } : undefined))}>
          + filter
        </button>
        {actions && <span className="match-actions">{actions}</span>}
      </div>
      <FieldError error={error} pointer={`${pointer}/filters`} id={`${id}-filters-error`} />
      {(match.filters ?? []).map((filter, i) => (
        <FilterRow key={i} filter={filter} label={`${label} filter ${i + 1}`} id={`${id}-f${i}`} error={error}
          pointer={`${pointer}/filters/${i}`}
          onChange={(next) => onChange(updateFilter(match, i, next))}
          onRemove={() => onChange(removeFilter(match, i))} />
      ))}
    </div>
  );
}

function FilterRow({ filter, onChange, onRemove, label, id, error, pointer }: {
  filter: Filter; onChange: (filter: Filter) => void; onRemove: () => void; label: string; id: string; error: unknown; pointer: string;
}) {
  const takesValue = filter.op !== 'exists' && filter.op !== 'missing';
  return (
    <div className="row filter">
      <span className="muted" aria-hidden="true">where</span>
      <input aria-label={`${label} property`} value={filter.property} size={10} placeholder="property"
        onChange={(e) => onChange({ ...filter, property: e.target.value })} {...invalid(error, `${pointer}/property`, `${id}-property-error`)} />
      <FieldError error={error} pointer={`${pointer}/property`} id={`${id}-property-error`} />
      <select aria-label={`${label} operator`} value={filter.op} onChange={(e) => onChange(withOp(filter, e.target.value as Filter['op']))}
        {...invalid(error, `${pointer}/op`, `${id}-op-error`)}>
        {FILTER_OPS.map((op) => <option key={op} value={op}>{OP_LABELS[op]}</option>)}
      </select>
      <FieldError error={error} pointer={`${pointer}/op`} id={`${id}-op-error`} />
      {takesValue && (
        <>
          <ValueInput filter={filter} label={`${label} value`} onChange={onChange} {...invalid(error, `${pointer}/value`, `${id}-value-error`)} />
          <FieldError error={error} pointer={`${pointer}/value`} id={`${id}-value-error`} />
        </>
      )}
      <button type="button" className="secondary small" aria-label={`Remove ${label}`} onClick={onRemove}>✕</button>
    </div>
  );
}

/** The value as typed (a list as "a, b"), kept as text while typing and sent as the JSON value the operator takes. */
function ValueInput({ filter, label, onChange, ...rest }: {
  filter: Filter; label: string; onChange: (filter: Filter) => void;
}) {
  const [text, setText] = useState(filterText(filter.value));
  useEffect(() => {
    if (JSON.stringify(filterValue(filter.op, text)) !== JSON.stringify(filter.value)) setText(filterText(filter.value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filter.value, filter.op]);
  return (
    <input aria-label={label} value={text} size={10} {...rest}
      placeholder={filter.op === 'in' ? 'a, b, c' : ['gt', 'gte', 'lt', 'lte'].includes(filter.op) ? 'number' : 'value'}
      onChange={(e) => {
        setText(e.target.value);
        onChange({ ...filter, value: filterValue(filter.op, e.target.value) });
      }} />
  );
}
