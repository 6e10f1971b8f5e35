select
    report_id,
    content_sha256,
    source_path,
    size_bytes,
    encoding as detected_encoding,
    rejection_reason,
    landed_at as ingested_at
from {{ source('landing', 'landed_files') }}
