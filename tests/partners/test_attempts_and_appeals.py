@pytest.mark.parametrize("count", [1, 6])
def test_the_partner_page_query_count_does_not_grow_with_attempts_plans_or_appeals(
    client, staff, django_assert_max_num_queries, count
):
    specialist, supervisor = staff
    partner = PartnerFactory(field_office=supervisor.field_office, security=False)
    officer = officer_of(partner)
    for n in range(count):  # earlier attempts, each with an appeal decided
        earlier = EnrollmentFactory(
            partner=partner, status="rejected", attempt=n + 1, is_current=False
        )
        event = EnrollmentEvent.objects.create(
            enrollment=earlier, move="reject", to_status="rejected", actor=specialist
        )
        Appeal.objects.create(
            enrollment=earlier,
            decision=event,
            appealed_status="rejected",
            grounds=f"Grounds {n}",
            filed_by=officer,
            filed_on=date.today(),
            status="denied",
        )
    current = EnrollmentFactory(
        partner=partner,
        attempt=count + 1,
        status="suspended",
        status_before_suspension="certified",
        certified_on=date.today() - timedelta(days=300),
        tier=1,
        suspended_on=date.today() - timedelta(days=5),
    )
    plan = CorrectiveActionPlanFactory(enrollment=current, submitted=True)
    for n in range(count):
        plan.actions.create(objective=f"Objective {n}", owner="Ops", due_on=date.today())
    client.force_login(supervisor)
    # Bounded, whatever the number of attempts, appeals and objectives.
    with django_assert_max_num_queries(46):
        response = client.get(reverse("partners:detail", args=[partner.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="earlier-attempt"') == count
