from tests.support import PASSWORD, logged_in, make_person, email_of


def test_login_and_home(app, client):
    person_id = make_person(app, roles=("coordinator",))
    logged_in(client, email_of(app, person_id), PASSWORD)
    response = client.get("/")
    assert response.status_code == 200
    assert "Mon horaire" in response.get_data(as_text=True) or "My schedule" in response.get_data(as_text=True)
