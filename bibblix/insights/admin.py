# The roll-ups have no admin pages of their own: raw figures would show small counts to
# municipality staff. Staff read them through the dashboards (views.py), which suppress.
