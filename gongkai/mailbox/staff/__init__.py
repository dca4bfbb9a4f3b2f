"""The staff side of 意見信箱 in the back office: the queue, the case page, triage and the reply
drafted by one person and approved by a second (issue 12)."""
