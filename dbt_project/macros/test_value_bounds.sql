{# Generic test: ratios lie in [0, 1] and nothing is negative. Rows returned break the rule. #}
{% test indicator_value_in_range(model, column_name) %}
select *
from {{ model }}
where {{ column_name }} < 0
   or (unit = 'ratio' and {{ column_name }} > 1)
{% endtest %}
