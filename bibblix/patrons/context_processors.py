from .services import device_key, get_patron


def patron(request) -> dict:
    child = get_patron(request)
    return {"patron": child, "child_key": device_key(child)}
