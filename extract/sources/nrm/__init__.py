"""Home Office NRM and Duty to Notify statistics: quarterly ODS workbooks."""
