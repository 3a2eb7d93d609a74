-- One "open": a complaint marts.complaints calls open (counted, no resolution time) has a
-- resolution stage that is not done, so the backlog and the SLA stages agree on it.
select complaint_id, resolution_status
from {{ ref('complaints') }}
where is_open
    and resolution_status in ('met', 'breached')
