"""Masked exports of 意見信箱 cases for circulation (issue 12): CSV and ODS files of the cases
a member of staff sees in their queue, with names, phone numbers, e-mail addresses and ID
numbers masked, in the columns and inside the subject and message. rows.py builds the rows
without Flask; views.py serves them at /admin/cases/export.csv and .ods."""
