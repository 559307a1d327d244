"""Page patterns every app's views share: the one-form page and the CSV import page."""

from django.contrib import messages
from django.shortcuts import redirect, render

from .errors import DomainError


def form_page(
    request,
    *,
    title,
    form,
    submit,
    cancel,
    intro="",
    formset=None,
    partner=None,
    multipart=False,
    template="ctpat/form_page.html",
    extra=None,
):
    """A page with one form: title, a line of explanation, the fields, submit and cancel.

    `template` may extend ctpat/form_page.html to add below the form (its `below` block),
    with `extra` in its context."""
    return render(
        request,
        template,
        {
            **(extra or {}),
            "title": title,
            "intro": intro,
            "form": form,
            "formset": formset,
            "submit_label": submit,
            "cancel_url": cancel,
            "partner": partner,
            "multipart": multipart,
        },
    )


def csv_import_page(
    request, *, template, context, form_class, parse, run_import, retry_url, done_url, done
):
    """Upload -> preview of every row -> import of all rows or none (ctpat.csv_preview).

    `parse(file)` returns the preview; `run_import(signed)` imports and returns what
    `done(result)` turns into the success message.
    """
    context = {**context, "form": form_class()}
    if request.method == "POST" and "confirm" in request.POST:
        try:
            result = run_import(request.POST.get("payload", ""))
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(retry_url)
        messages.success(request, done(result))
        return redirect(done_url)
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, request=request)
        context["form"] = form
        if form.is_valid():
            try:
                context["preview"] = parse(form.cleaned_data["file"])
            except DomainError as error:
                form.add_error("file", error.message)
    return render(request, template, context)
