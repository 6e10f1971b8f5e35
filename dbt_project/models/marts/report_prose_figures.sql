-- Evidence: every figure read from sentences, with the sentence and spans (the contract orders the columns).
select * from {{ ref('stg_parsed__prose_figures') }}
