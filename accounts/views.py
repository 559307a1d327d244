from django.contrib import messages
from django.shortcuts import redirect

from ctpat.pages import form_page

from .forms import PreferencesForm


def preferences(request):
    """The person's own settings: for now, whether reminders come by email."""
    # A single checkbox left unticked posts nothing: bind on the method, not on the data.
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, instance=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your preferences are saved.")
        return redirect("preferences")
    return form_page(
        request,
        title="Preferences",
        intro="Reminders before a deadline can come by email or only in the portal. Overdue "
        "notices and decisions always come by email.",
        form=form,
        submit="Save",
        cancel="/",
    )
