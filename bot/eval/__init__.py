"""Measuring answers: the question set (`paperbot eval`) and IR test collections (`paperbot eval-ir`)."""
