"""Customer service: the issue register and shift hand-over, quick replies, reviews, complaints,
follow-up visits and the reports supervisors are due."""
